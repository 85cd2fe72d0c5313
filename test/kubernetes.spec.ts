import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { renderKustomization, type KubernetesObject } from './kustomize';

/**
 * deploy/kubernetes, rendered (production overlay) and checked offline: every core object valid against the
 * Kubernetes API schemas (kubernetes-models), the same processes and commands as docker-compose.yml, and the
 * deployment's invariants: probes, resources, non-root read-only containers without capabilities, secrets by
 * reference, autoscalers, disruption budgets, network policies, the migrate Job and CloudNativePG.
 */
const ROOT = path.resolve(__dirname, '..');
const OVERLAY = path.join(ROOT, 'deploy/kubernetes/overlays/production');
const objects = renderKustomization(OVERLAY);
const SUBGRAPHS = ['notices', 'travel-documents', 'document-alerts', 'partner-agencies'];
const PROCESSES = [...SUBGRAPHS, 'gateway'];
const SECRET_VARIABLES = [
  'DATABASE_URL',
  'DATABASE_READ_URL',
  'GATEWAY_CREDENTIAL',
  'AUTH_SIGNING_KEY',
  'AUDIT_CHAIN_KEYS',
];

interface Container {
  name: string;
  image: string;
  command: string[];
  ports?: { name: string; containerPort: number }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
  }[];
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
}
interface PodSpec {
  securityContext?: Record<string, unknown>;
  containers: Container[];
  restartPolicy?: string;
}
type Labels = Record<string, string>;
interface Selector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PeerRule {
  from?: Peer[];
  to?: Peer[];
  ports?: { port: string | number; protocol?: string }[];
}

type WithSpec = KubernetesObject & { spec: Record<string, unknown> };
const all = (kind: string) => objects.filter((o) => o.kind === kind) as WithSpec[];
const one = (kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found as KubernetesObject & { spec: Record<string, unknown> };
};
const podOf = (name: string) =>
  one('Deployment', name).spec.template as { metadata: { labels: Labels }; spec: PodSpec };
const matches = (selector: Labels | undefined, labels: Labels) =>
  Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
/** A label selector with `matchExpressions` (In, NotIn, Exists) as well as `matchLabels`. */
const selects = (selector: Selector | undefined, labels: Labels) =>
  matches(selector?.matchLabels, labels) &&
  (selector?.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'In') return values.includes(labels[key]);
    if (operator === 'NotIn') return !values.includes(labels[key]);
    if (operator === 'Exists') return key in labels;
    throw new Error(`unsupported selector operator ${operator}`);
  });

const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { command: string[] }>;
};

test('every core object is valid against the Kubernetes API schemas (kubernetes-models, offline)', () => {
  const results = JSON.parse(
    execFileSync(process.execPath, [path.join(__dirname, 'kubernetes-validate.mjs')], {
      input: JSON.stringify(objects),
      timeout: 60_000,
    }).toString(),
  ) as { kind: string; name: string; error: string | null }[];
  expect(results.filter((r) => r.error !== null)).toEqual([
    { kind: 'Cluster', name: 'hub-db', error: 'no model' },
    { kind: 'Pooler', name: 'hub-db-pooler-rw', error: 'no model' },
    { kind: 'Pooler', name: 'hub-db-pooler-ro', error: 'no model' },
  ]);
  expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set(['border-data-hub']));
});

const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((file) => fs.existsSync(file));
(kubectl ? test : test.skip)('the yaml-package rendering is what `kubectl kustomize` renders', () => {
  const rendered = parseAllDocuments(
    execFileSync(kubectl!, ['kustomize', OVERLAY], { timeout: 60_000 }).toString(),
  ).map((document) => document.toJS() as KubernetesObject);
  const byName = (list: KubernetesObject[]) =>
    Object.fromEntries(list.map((o) => [`${o.kind}/${o.metadata.name}`, o]));
  expect(byName(objects)).toEqual(byName(rendered));
});

describe.each(PROCESSES)('%s', (name) => {
  const pod = podOf(name);
  const [container] = pod.spec.containers;

  test('runs the image with docker-compose.yml’s command, and a Service selects its pods', () => {
    expect(pod.spec.containers).toHaveLength(1);
    expect(container.image).toBe('registry.example.org/border-data-hub:0.1.0');
    expect(container.command).toEqual(compose.services[name].command);
    const service = one('Service', name);
    expect(matches(service.spec.selector as Labels, pod.metadata.labels)).toBe(true);
    expect(service.spec.ports).toContainEqual(expect.objectContaining({ name: 'http', targetPort: 'http' }));
  });

  test('is ready on /ready and alive on /health, with requests and limits', () => {
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 'http' } });
    expect(container.livenessProbe).toMatchObject({ httpGet: { path: '/health', port: 'http' } });
    expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
  });

  test('runs as non-root on a read-only root filesystem without capabilities', () => {
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  test('takes its secrets by reference only, and has a disruption budget', () => {
    const secrets = (container.env ?? []).filter((e) => SECRET_VARIABLES.includes(e.name));
    expect(secrets.length).toBeGreaterThan(0);
    for (const variable of secrets)
      expect(variable).toEqual({ name: variable.name, valueFrom: { secretKeyRef: expect.any(Object) } });
    const budgets = all('PodDisruptionBudget').filter((b) =>
      matches((b.spec.selector as { matchLabels: Labels }).matchLabels, pod.metadata.labels),
    );
    expect(budgets).toHaveLength(1);
  });
});

test('no Secret is in the manifests: each is created in the cluster and read by reference', () => {
  expect(all('Secret')).toEqual([]);
  expect(JSON.stringify(one('ConfigMap', 'hub-config'))).not.toMatch(/password|secret|credential|BEGIN/i);
});

test('the gateway and travel-documents scale with CPU', () => {
  const targets = all('HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef);
  expect(targets).toEqual([
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gateway' },
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'travel-documents' },
  ]);
  expect(one('HorizontalPodAutoscaler', 'gateway').spec).toMatchObject({ minReplicas: 3, maxReplicas: 20 });
  // docs/operations.md: ~10–20 travel-documents pods for a peak of 5,000 checks/s.
  expect(one('HorizontalPodAutoscaler', 'travel-documents').spec).toMatchObject({
    minReplicas: 3,
    maxReplicas: 20,
  });
});

describe('network policies', () => {
  const policies = all('NetworkPolicy') as (KubernetesObject & {
    spec: { podSelector: Selector; policyTypes: string[]; ingress?: PeerRule[]; egress?: PeerRule[] };
  })[];
  /** The ingress rules that let traffic reach `port` of a pod with these labels. */
  const rulesFor = (labels: Labels, port: string) =>
    policies
      .filter((p) => selects(p.spec.podSelector, labels))
      .flatMap((p) => p.spec.ingress ?? [])
      .filter((rule) => !rule.ports || rule.ports.some((p) => p.port === port));

  test('deny every ingress that no policy allows', () => {
    expect(policies.find((p) => p.metadata.name === 'default-deny-ingress')?.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
    });
  });

  test.each(SUBGRAPHS)(
    '%s accepts API traffic from gateway pods only (partner-agencies: subgraphs too, for the key set)',
    (name) => {
      const peers = rulesFor(podOf(name).metadata.labels, 'http').flatMap((rule) => rule.from ?? [{}]);
      // Which pods each peer admits: none may name a namespace or an address range, or admit any other pod.
      const admitted = peers.map((peer) => {
        if (Object.keys(peer).join() !== 'podSelector') return 'other';
        const from = peer.podSelector?.matchLabels ?? {};
        return PROCESSES.filter((p) => matches(from, podOf(p).metadata.labels)).join(' ');
      });
      expect(new Set(admitted)).toEqual(
        new Set(name === 'partner-agencies' ? ['gateway', SUBGRAPHS.join(' ')] : ['gateway']),
      );
    },
  );

  test.each(PROCESSES)('%s serves metrics to the monitoring namespace only', (name) => {
    const peers = rulesFor(podOf(name).metadata.labels, 'metrics').flatMap((rule) => rule.from ?? [{}]);
    expect(peers).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
    ]);
  });

  describe('egress', () => {
    const migrateLabels = (one('Job', 'migrate-0.1.0').spec.template as { metadata: { labels: Labels } })
      .metadata.labels;
    const HUB_PODS: Record<string, Labels> = {
      ...Object.fromEntries(PROCESSES.map((name) => [name, podOf(name).metadata.labels])),
      migrate: migrateLabels,
    };
    // The pods CloudNativePG runs, as it labels them.
    const DATABASE_PODS: Record<string, Labels> = {
      'pooler-rw': { 'cnpg.io/poolerName': 'hub-db-pooler-rw' },
      'pooler-ro': { 'cnpg.io/poolerName': 'hub-db-pooler-ro' },
      postgres: { 'cnpg.io/cluster': 'hub-db' },
    };
    const KNOWN = { ...HUB_PODS, ...DATABASE_PODS };
    const egressPolicies = (labels: Labels) =>
      policies.filter((p) => p.spec.policyTypes.includes('Egress') && selects(p.spec.podSelector, labels));
    /** Where a pod may send traffic, as `destination:port/protocol`; a peer that admits no known pod fails. */
    const destinations = (labels: Labels) =>
      egressPolicies(labels)
        .flatMap((p) => p.spec.egress ?? [])
        .flatMap((rule) => {
          const targets = (rule.to ?? []).flatMap((peer) => {
            if (peer.ipBlock) return [`internet ${peer.ipBlock.cidr}`];
            const namespace = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
            if (namespace === 'kube-system' && peer.podSelector?.matchLabels?.['k8s-app'] === 'kube-dns')
              return ['kube-dns'];
            if (peer.namespaceSelector) return ['another namespace'];
            const selected = Object.keys(KNOWN).filter((name) => selects(peer.podSelector, KNOWN[name]));
            return selected.length > 0 ? selected : ['nothing known'];
          });
          if (targets.length === 0) targets.push('anywhere');
          const ports = (rule.ports ?? [{ port: 'any' }]).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`);
          return targets.flatMap((target) => ports.map((port) => `${target}:${port}`));
        })
        .sort();
    const DNS = ['kube-dns:53/TCP', 'kube-dns:53/UDP'];

    test('deny every egress of the hub’s own pods that no policy allows, and leave CloudNativePG’s pods alone', () => {
      const deny = policies.find((p) => p.metadata.name === 'default-deny-egress');
      expect(deny?.spec.policyTypes).toEqual(['Egress']);
      expect(deny?.spec.egress).toBeUndefined();
      for (const labels of Object.values(HUB_PODS))
        expect(selects(deny?.spec.podSelector, labels)).toBe(true);
      for (const labels of Object.values(DATABASE_PODS)) expect(egressPolicies(labels)).toEqual([]);
    });

    test('the gateway reaches the subgraphs’ API ports and DNS, nothing else', () => {
      expect(destinations(HUB_PODS.gateway)).toEqual(
        [...DNS, ...SUBGRAPHS.map((name) => `${name}:http/TCP`)].sort(),
      );
    });

    test.each(SUBGRAPHS)(
      '%s reaches both poolers, partner-agencies’ key set and DNS (partner-agencies: webhooks too)',
      (name) => {
        const expected = [...DNS, 'pooler-ro:5432/TCP', 'pooler-rw:5432/TCP', 'partner-agencies:http/TCP'];
        if (name === 'partner-agencies') expected.push('internet 0.0.0.0/0:443/TCP', 'internet ::/0:443/TCP');
        expect(destinations(HUB_PODS[name])).toEqual(expected.sort());
      },
    );

    test('webhook deliveries reach no private, loopback, link-local or shared address', () => {
      const blocks = egressPolicies(HUB_PODS['partner-agencies'])
        .flatMap((p) => p.spec.egress ?? [])
        .flatMap((rule) => rule.to ?? [])
        .flatMap((peer) => (peer.ipBlock ? [peer.ipBlock] : []));
      expect(blocks).toEqual([
        {
          cidr: '0.0.0.0/0',
          except: expect.arrayContaining([
            '10.0.0.0/8',
            '172.16.0.0/12',
            '192.168.0.0/16',
            '127.0.0.0/8',
            '169.254.0.0/16',
            '100.64.0.0/10',
          ]),
        },
        { cidr: '::/0', except: expect.arrayContaining(['::1/128', 'fc00::/7', 'fe80::/10']) },
      ]);
    });

    test('the migrate Job reaches PostgreSQL’s instances and DNS only', () => {
      expect(destinations(HUB_PODS.migrate)).toEqual([...DNS, 'postgres:5432/TCP'].sort());
    });
  });
});

test('each release has a migrate Job of its own, named after its image tag (a Job cannot change in place)', () => {
  const images = (
    parse(fs.readFileSync(path.join(OVERLAY, 'kustomization.yaml'), 'utf8')) as {
      images: { newTag: string }[];
    }
  ).images;
  const jobs = all('Job');
  expect(jobs.map((j) => j.metadata.name)).toEqual([`migrate-${images[0].newTag}`]);
  const pod = (jobs[0].spec.template as { spec: PodSpec }).spec;
  expect(pod.containers[0].image).toBe(`registry.example.org/border-data-hub:${images[0].newTag}`);
});

test('the migrate Job runs the one migrate step against the primary, as the other containers run', () => {
  const job = one('Job', 'migrate-0.1.0');
  const pod = (job.spec.template as { spec: PodSpec }).spec;
  expect(pod.containers[0].command).toEqual(compose.services.migrate.command);
  expect(pod.restartPolicy).toBe('OnFailure');
  expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
  expect(pod.containers[0].securityContext).toEqual({
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  });
  expect(pod.containers[0].env).toEqual([
    { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'hub-db-app', key: 'uri' } } },
  ]);
});

test('PostgreSQL is a CloudNativePG cluster of three instances with a PgBouncer pooler on the primary', () => {
  const cluster = one('Cluster', 'hub-db');
  expect(cluster.apiVersion).toBe('postgresql.cnpg.io/v1');
  expect(cluster.spec).toMatchObject({
    instances: 3,
    bootstrap: { initdb: { database: 'hub', owner: 'hub' } },
  });
  const pooler = one('Pooler', 'hub-db-pooler-rw');
  expect(pooler.apiVersion).toBe('postgresql.cnpg.io/v1');
  expect(pooler.spec).toMatchObject({
    cluster: { name: 'hub-db' },
    type: 'rw',
    pgbouncer: { poolMode: 'transaction' },
  });
  expect(all('StatefulSet')).toEqual([]);
});

test('PostgreSQL is sized as docs/operations.md sizes it for 100 M records', () => {
  const operations = fs.readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8').replace(/\s+/g, ' ');
  const [, memory, sharedBuffers] =
    /for 100 M records, (\d+) GiB of memory with `shared_buffers` (\d+GB)/.exec(operations) ?? [];
  const [, storage] = /`storage\.size` to at least (\d+Gi) for 100 M records/.exec(operations) ?? [];
  const [, cores] = /give the primary (\d+)[–-]\d+ cores/.exec(operations) ?? [];
  expect([memory, sharedBuffers, storage, cores]).toEqual(['16', '4GB', '200Gi', '8']);
  const cluster = one('Cluster', 'hub-db').spec as {
    postgresql: { parameters: Record<string, string> };
    storage: { size: string };
    resources: { requests: Record<string, string>; limits: Record<string, string> };
  };
  expect(cluster.postgresql.parameters.shared_buffers).toBe(sharedBuffers);
  expect(cluster.storage.size).toBe(storage);
  expect(cluster.resources.requests).toEqual({ cpu: cores, memory: `${memory}Gi` });
  expect(cluster.resources.limits).toEqual({ cpu: cores, memory: `${memory}Gi` });
  // Every connection the pools may open fits (docs/operations.md, "Connections").
  expect(Number(cluster.postgresql.parameters.max_connections)).toBeGreaterThanOrEqual(300);
});

test('reads may go to the replicas: a pooler on CloudNativePG’s -ro service, named by an optional secret key', () => {
  const pooler = one('Pooler', 'hub-db-pooler-ro');
  expect(pooler.spec).toMatchObject({
    cluster: { name: 'hub-db' },
    type: 'ro',
    pgbouncer: { poolMode: 'transaction' },
  });
  // The replica pool's startup parameters (db/data-source.ts) are dropped by PgBouncer, not refused.
  const ignored = (pooler.spec.pgbouncer as { parameters: Record<string, string> }).parameters
    .ignore_startup_parameters;
  expect(ignored.split(',')).toEqual(
    expect.arrayContaining(['statement_timeout', 'idle_in_transaction_session_timeout', 'options']),
  );
  for (const name of SUBGRAPHS) {
    const [container] = podOf(name).spec.containers;
    expect(container.env).toContainEqual({
      name: 'DATABASE_READ_URL',
      valueFrom: { secretKeyRef: { name: 'hub-secrets', key: 'database-read-url', optional: true } },
    });
  }
  expect(podOf('gateway').spec.containers[0].env?.map((e) => e.name)).not.toContain('DATABASE_READ_URL');
});

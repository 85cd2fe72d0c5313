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
const SECRET_VARIABLES = ['DATABASE_URL', 'GATEWAY_CREDENTIAL', 'AUTH_SIGNING_KEY', 'AUDIT_CHAIN_KEYS'];

interface Container {
  name: string;
  image: string;
  command: string[];
  ports?: { name: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
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
interface PeerRule {
  from?: {
    podSelector?: { matchLabels?: Labels };
    namespaceSelector?: { matchLabels?: Labels };
    ipBlock?: unknown;
  }[];
  ports?: { port: string | number }[];
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
});

describe('network policies', () => {
  const policies = all('NetworkPolicy') as (KubernetesObject & {
    spec: { podSelector: { matchLabels?: Labels }; policyTypes: string[]; ingress?: PeerRule[] };
  })[];
  /** The ingress rules that let traffic reach `port` of a pod with these labels. */
  const rulesFor = (labels: Labels, port: string) =>
    policies
      .filter((p) => matches(p.spec.podSelector.matchLabels, labels))
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
});

test('the migrate Job runs the one migrate step against the primary, as the other containers run', () => {
  const job = one('Job', 'migrate');
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

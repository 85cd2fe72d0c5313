import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * Renders a kustomization with the `yaml` package, for machines without a kustomize binary: the subset
 * deploy/kubernetes uses — `resources` (files and folders of kustomizations), `namespace`, `images` and `patches`
 * (strategic-merge patches of maps from a file, a list in a patch replacing the list; or inline JSON 6902 patches,
 * `replace` and `add` only, on one object named by `target`). test/kubernetes.spec.ts checks the result
 * against `kubectl kustomize` where kubectl is installed, and refuses any other field.
 */
export type KubernetesObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
} & Record<string, unknown>;

interface Kustomization {
  resources?: string[];
  namespace?: string;
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: ({ path: string } | { target: { kind: string; name: string }; patch: string })[];
}

interface JsonPatchOperation {
  op: string;
  path: string;
  value: unknown;
}

/** JSON 6902 `replace` / `add` at a JSON pointer (maps and list indexes), on a copy of `object`. */
function applyJsonPatch(object: KubernetesObject, operations: JsonPatchOperation[]): KubernetesObject {
  const copy = structuredClone(object) as Record<string, unknown>;
  for (const { op, path: pointer, value } of operations) {
    if (op !== 'replace' && op !== 'add') throw new Error(`unsupported JSON patch operation ${op}`);
    const keys = pointer
      .split('/')
      .slice(1)
      .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop()!;
    let parent: Record<string, unknown> = copy;
    for (const key of keys) parent = parent[key] as Record<string, unknown>;
    if (op === 'replace' && !(last in parent))
      throw new Error(`JSON patch: nothing at ${pointer} to replace`);
    parent[last] = value;
  }
  return copy as KubernetesObject;
}
const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches']);

function readObjects(file: string): KubernetesObject[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((document) => document.toJS() as KubernetesObject | null)
    .filter((object): object is KubernetesObject => object !== null);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...target };
  for (const [key, value] of Object.entries(patch))
    merged[key] = isMap(value) && isMap(merged[key]) ? merge(merged[key], value) : value;
  return merged;
}

function setImages(value: unknown, images: NonNullable<Kustomization['images']>): unknown {
  if (Array.isArray(value)) return value.map((item) => setImages(item, images));
  if (!isMap(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const image =
      key === 'image' && typeof item === 'string' ? images.find((i) => i.name === item) : undefined;
    result[key] = image
      ? `${image.newName ?? image.name}${image.newTag ? `:${image.newTag}` : ''}`
      : setImages(item, images);
  }
  return result;
}

export function renderKustomization(dir: string): KubernetesObject[] {
  const kustomization = readObjects(path.join(dir, 'kustomization.yaml'))[0] as unknown as Kustomization;
  const unsupported = Object.keys(kustomization).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0)
    throw new Error(`${dir}: unsupported kustomization fields ${unsupported.join(', ')}`);
  let objects = (kustomization.resources ?? []).flatMap((resource) => {
    const target = path.join(dir, resource);
    return fs.statSync(target).isDirectory() ? renderKustomization(target) : readObjects(target);
  });
  for (const entry of kustomization.patches ?? []) {
    if ('target' in entry) {
      const index = objects.findIndex(
        (o) => o.kind === entry.target.kind && o.metadata.name === entry.target.name,
      );
      if (index < 0) throw new Error(`patch: no ${entry.target.kind} ${entry.target.name} to patch`);
      objects[index] = applyJsonPatch(objects[index], parse(entry.patch) as JsonPatchOperation[]);
      continue;
    }
    const patchFile = entry.path;
    for (const patch of readObjects(path.join(dir, patchFile))) {
      const index = objects.findIndex(
        (o) => o.kind === patch.kind && o.metadata.name === patch.metadata.name,
      );
      if (index < 0) throw new Error(`${patchFile}: no ${patch.kind} ${patch.metadata.name} to patch`);
      objects[index] = merge(objects[index], patch) as KubernetesObject;
    }
  }
  if (kustomization.images)
    objects = objects.map((o) => setImages(o, kustomization.images!) as KubernetesObject);
  if (kustomization.namespace)
    objects = objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: kustomization.namespace } }));
  return objects;
}

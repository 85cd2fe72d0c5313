// Validates Kubernetes objects against the API's schemas offline (kubernetes-models, which ships ES modules
// only, so it runs as a process of its own outside Jest: test/kubernetes.spec.ts). Reads a JSON array of objects
// on stdin; prints a JSON array of { kind, name, error }: error is null for a valid object, "no model" for a
// kind the package does not know (custom resources).
import process from 'node:process';

async function modelOf(apiVersion, kind) {
  try {
    return (await import(`kubernetes-models/${apiVersion}`))[kind] ?? null;
  } catch {
    return null;
  }
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const object of JSON.parse(input)) {
  const Model = await modelOf(object.apiVersion, object.kind);
  let error = Model ? null : 'no model';
  if (Model) {
    try {
      new Model(object).validate();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
  }
  results.push({ kind: object.kind, name: object.metadata?.name ?? null, error });
}
process.stdout.write(JSON.stringify(results));

/**
 * Monaco runs its language services in web workers. They are bundled by gateway/explorer/build.ts next to the
 * app and served by the gateway (/explorer/*.worker.js), so nothing is loaded from a CDN and the
 * Content-Security-Policy can stay at worker-src 'self'. GraphiQL asks for "graphql" (monaco-graphql),
 * "json" (variables, headers, response) and the generic editor worker.
 */
const WORKER_FILES: Record<string, string> = {
  graphql: 'graphql.worker.js',
  json: 'json.worker.js',
};

(globalThis as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return new Worker(`/explorer/${WORKER_FILES[label] ?? 'editor.worker.js'}`, { name: label });
  },
};

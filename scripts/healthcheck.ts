/**
 * The image's HEALTHCHECK (`node dist/scripts/healthcheck.js`): asks this container's process for GET /health on
 * 127.0.0.1:$PORT (4000, the gateway, when unset) and exits 0 on a 200, 1 otherwise. Node, because the slim
 * image has no curl or wget; at most TIMEOUT_MS, so a hung process counts as unhealthy.
 */
const TIMEOUT_MS = 3000;

async function main(): Promise<number> {
  const port = process.env.PORT || '4000';
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (response.ok) return 0;
    console.error(`GET /health answered ${response.status}`);
  } catch (error) {
    console.error(`GET /health failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return 1;
}

void main().then((code) => process.exit(code));

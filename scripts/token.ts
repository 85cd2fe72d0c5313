/**
 * `npm run token -- <client id>`: prints an access token for a demo client (secret `demo-<client id>`) from the
 * running hub's token endpoint (HUB_URL, default http://localhost:4000).
 */
async function main(): Promise<void> {
  const clientId = process.argv[2];
  if (!clientId) {
    console.error(
      'usage: npm run token -- <client id>   (demo clients: ncb-fra ncb-usa ncb-uto bp-fra iom frontex airline-demo gs-admin explorer)',
    );
    process.exit(2);
  }
  const base = process.env.HUB_URL ?? 'http://localhost:4000';
  const response = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: `demo-${clientId}`,
    }),
  });
  const body = (await response.json()) as {
    access_token?: string;
    scope?: string;
    error?: string;
    error_description?: string;
  };
  if (!response.ok || !body.access_token) {
    console.error(`${response.status} ${body.error ?? ''}: ${body.error_description ?? ''}`);
    process.exit(1);
  }
  console.error(`scopes: ${body.scope}`);
  console.log(body.access_token);
}

main().catch((error: unknown) => {
  console.error(
    `cannot reach the hub: ${error instanceof Error ? error.message : String(error)} (is \`npm start\` running?)`,
  );
  process.exit(1);
});

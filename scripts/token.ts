import { requestDemoToken } from '../hub/demo-token';

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
  const answer = await requestDemoToken(base, clientId);
  if (answer.status !== 200 || !answer.access_token) {
    console.error(`${answer.status} ${answer.error ?? ''}: ${answer.error_description ?? ''}`);
    process.exit(1);
  }
  console.error(`scopes: ${answer.scope}`);
  console.log(answer.access_token);
}

main().catch((error: unknown) => {
  console.error(
    `cannot reach the hub: ${error instanceof Error ? error.message : String(error)} (is \`npm start\` running?)`,
  );
  process.exit(1);
});

import { startEmbeddedPostgres, temporaryDataDir } from '../embedded-postgres';
it('starts pg', async () => {
  const db = await startEmbeddedPostgres({ dataDir: temporaryDataDir('probe-'), port: 0, persistent: false });
  await db.stop();
});

// Placeholder: replaced by the embedded PostgreSQL launcher for end-to-end tests.
export default async function globalSetup(): Promise<void> {}

import type { Resolver } from '../shared/outbox/webhook-target';

/**
 * The DNS of webhook tests: knows a few names, records which were asked, and never sends a query anywhere, so a
 * test can name hosts (public-looking or internal) without a packet leaving the machine.
 */
export function stubResolver(answers: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = (hostname: string) => {
    asked.push(hostname);
    const found = answers[hostname];
    return found ? Promise.resolve(found) : Promise.reject(new Error(`ENOTFOUND ${hostname}`));
  };
  return Object.assign(resolve, { asked });
}

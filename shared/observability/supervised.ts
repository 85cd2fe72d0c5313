/**
 * A process that `npm start` runs as a child (hub/processes.ts: the gateway or subgraphs as processes of their own,
 * forked with an IPC channel) tells its parent where it listens once it does, and stops as on SIGTERM when the
 * parent goes away (its end of the channel closes: it exited or was killed), so no child outlives it. Outside
 * such a parent (docker-compose, Kubernetes: no IPC channel) both do nothing.
 */
export interface ReadyMessage {
  type: 'ready';
  /** Each service this process serves, with its GraphQL URL. */
  urls: Record<string, string>;
}

export function announceReady(urls: Record<string, string>): void {
  const message: ReadyMessage = { type: 'ready', urls };
  process.send?.(message);
}

export function stopWithParent(shutdown: (reason: string) => Promise<void>): void {
  if (!process.send) return;
  process.once('disconnect', () => void shutdown('parent gone'));
}

export function isReadyMessage(message: unknown): message is ReadyMessage {
  return typeof message === 'object' && message !== null && (message as ReadyMessage).type === 'ready';
}

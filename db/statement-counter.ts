import type { Logger } from 'typeorm';

/**
 * A TypeORM logger that counts the SQL statements a data source sends (TypeORM calls logQuery for every one,
 * whatever the logging setting). The batching tests and the benchmarks read it; it logs nothing itself except
 * errors, which go to the process logger through `onError`.
 */
export class StatementCounter implements Logger {
  statements = 0;

  constructor(private readonly onError: (message: string) => void = () => undefined) {}

  logQuery(): void {
    this.statements += 1;
  }

  logQueryError(error: string | Error): void {
    this.onError(error instanceof Error ? error.message : error);
  }

  logQuerySlow(): void {}

  logSchemaBuild(): void {}

  logMigration(): void {}

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.onError(String(message));
  }
}

import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An API client of an agency. Only a slow hash of its secret is stored; the secret is shown once. */
@Entity({ schema: 'partners', name: 'api_clients' })
export class ApiClient {
  @PrimaryColumn({ name: 'client_id', type: 'text' })
  clientId: string;

  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId: string;

  @Column({ name: 'secret_hash', type: 'text' })
  secretHash: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /**
   * The operation a deployed team's device is bound to: its tokens carry that operation's grant only, and it gets
   * none once the operation is not ACTIVE. Null for an ordinary client.
   */
  @Column({ name: 'operation_code', type: 'text', nullable: true })
  operationCode: string | null;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A check that matched a record; PENDING until the owner confirms or rejects it. */
@Entity({ schema: 'sltd', name: 'hits' })
export class HitRow {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'record_id', type: 'uuid' })
  recordId: string;

  @Column({ name: 'owner_agency_id', type: 'uuid' })
  ownerAgencyId: string;

  @Column({ name: 'checked_by_client', type: 'text' })
  checkedByClient: string;

  @Column({ name: 'checked_by_agency_id', type: 'uuid' })
  checkedByAgencyId: string;

  @Column({ name: 'checked_by_country', type: 'varchar', length: 3, nullable: true })
  checkedByCountry: string | null;

  @Column({ name: 'checked_at', type: 'timestamptz' })
  checkedAt: Date;

  @Column({ type: 'text', nullable: true })
  location: string | null;

  @Column({ type: 'text' })
  status: 'PENDING' | 'CONFIRMED' | 'FALSE_POSITIVE';

  @Column({ name: 'outcome_note', type: 'text', nullable: true })
  outcomeNote: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decided_by_client', type: 'text', nullable: true })
  decidedByClient: string | null;
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each owner keeps its own record of a document (docs/security.md, "No existence oracle"). With one record per
 * document, a second agency reporting it was refused with CONFLICT even when the record on file was restricted
 * away from it: the refusal told it that a hidden record exists. Now the key is the document and its owner, so a
 * report conflicts only with the reporter's own record, and concurrent reports by one owner still make one record
 * (the index decides the race). The document type is not part of the key: a check looks documents up by issuing
 * country and number only (an MRZ's type code does not name the SLTD type), so two types of one number by one
 * owner would be two answers to one check. The border check's look-up still probes this index's prefix.
 */
export class SltdRecordPerOwner1764100000043 implements MigrationInterface {
  name = 'SltdRecordPerOwner1764100000043';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE UNIQUE INDEX records_document_owner_key ON sltd.records (issuing_country, document_number, owner_agency_id)
      WHERE withdrawn_at IS NULL`);
    await db.query('DROP INDEX sltd.records_document_key');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE UNIQUE INDEX records_document_key ON sltd.records (issuing_country, document_number)
      WHERE withdrawn_at IS NULL`);
    await db.query('DROP INDEX sltd.records_document_owner_key');
  }
}

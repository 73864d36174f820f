import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { POSTGRES_SCHEMA, SQLITE_SCHEMA, derivePostgresSchema } from '../scripts/db-generate.ts';

describe('The two schema variants', () => {
  it('When prisma/schema.prisma changes, then the committed PostgreSQL variant must be regenerated from it', () => {
    const postgres = readFileSync(POSTGRES_SCHEMA, 'utf8');
    expect(postgres).toBe(derivePostgresSchema(readFileSync(SQLITE_SCHEMA, 'utf8')));
    expect(postgres).toContain('provider = "postgresql"');
  });
});

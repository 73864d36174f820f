// The write baselines' database: the same kind as Warren's in this run, through the same driver
// (better-sqlite3 with the pragmas server/db/database.ts sets, or a pg pool of Warren's default
// size), with no ORM and none of Warren's tables. `?` placeholders on both.
import Database from 'better-sqlite3';
import pg from 'pg';

export async function openBaselineDatabase(url) {
  if (url.startsWith('file:')) {
    const db = new Database(url.slice('file:'.length));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    const statements = new Map();
    const prepared = (sql) => statements.get(sql) ?? statements.set(sql, db.prepare(sql)).get(sql);
    return {
      exec: async (sql) => void db.exec(sql),
      run: async (sql, params = []) => void prepared(sql).run(...params),
      all: async (sql, params = []) => prepared(sql).all(...params),
      close: async () => db.close(),
    };
  }
  // A throw-away schema of the runner's (dropped with Warren's tables); ?schema= as Prisma reads it.
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  const pool = new pg.Pool({ connectionString: parsed.toString(), max: 10, ...(schema ? { options: `-c search_path="${schema.replace(/"/g, '')}"` } : {}) });
  const numbered = (sql) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    exec: async (sql) => void (await pool.query(sql)),
    run: async (sql, params = []) => void (await pool.query(numbered(sql), params)),
    all: async (sql, params = []) => (await pool.query(numbered(sql), params)).rows,
    close: () => pool.end(),
  };
}

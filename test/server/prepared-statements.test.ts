/**
 * Both stores run queries as named prepared statements (server/store/pglite-prepared.ts, and
 * node-postgres with a name in postgres.ts). What an unnamed query gave, they must still give: the
 * same values, the same errors, each text prepared once, a fresh parse when a table changes; and
 * on PGlite never inside another caller's transaction. PostgreSQL when DATABASE_URL is set.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StoreUnavailable } from '../../server/core/errors.ts';
import type { Db, Queryable, SqlParam } from '../../server/store/db.ts';
import { openPglite } from '../../server/store/pglite.ts';
import { openPostgres } from '../../server/store/postgres.ts';

const url = process.env.DATABASE_URL;
interface Store {
  open(): Promise<Db>;
  /** One session: PGlite prepares outside transactions, node-postgres per pooled connection. */
  session<T>(db: Db, fn: (q: Queryable) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}
const schema = `t_${randomBytes(6).toString('hex')}`;
const stores: Array<[string, Store]> = [
  ['PGlite', { open: () => openPglite(), session: (db, fn) => fn(db), drop: async () => {} }],
  ...(url
    ? ([
        [
          'PostgreSQL',
          {
            open: () => openPostgres({ url, schema }),
            session: (db, fn) => db.transaction(fn),
            async drop() {
              const admin = new pg.Client({ connectionString: url });
              await admin.connect();
              await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
              await admin.end();
            },
          },
        ],
      ] as Array<[string, Store]>)
    : []),
];

describe.each(stores)('%s', (_name, store) => {
  let db: Db;
  beforeAll(async () => {
    db = await store.open();
    await db.exec(`
    CREATE TABLE things (id uuid PRIMARY KEY, name text, n int8, price numeric, at timestamptz, tags text[], doc jsonb);
    INSERT INTO things VALUES
      ('7e1e0000-0000-4000-8000-000000000001', 'one', 9007199254740991, 1.5, '2026-01-02T03:04:05Z', '{a,b}', '{"k": [1, 2]}'),
      ('7e1e0000-0000-4000-8000-000000000002', NULL, 2, 0, '2026-01-02T03:04:05.250+02:00', '{}', 'null');
  `);
  });
  afterAll(async () => {
    await db.close();
    await store.drop();
  });

  const ONE = '7e1e0000-0000-4000-8000-000000000001';
  const TWO = '7e1e0000-0000-4000-8000-000000000002';

  describe('a prepared query answers as query() did', () => {
    const cases: Array<{ given: string; sql: string; params: SqlParam[]; want: object[] }> = [
      {
        given: 'a uuid parameter; int8 and numeric as numbers, timestamptz as ISO, arrays and jsonb as values',
        sql: 'SELECT name, n, price, at, tags, doc FROM things WHERE id = $1',
        params: [ONE],
        want: [
          {
            name: 'one',
            n: 9007199254740991,
            price: 1.5,
            at: '2026-01-02T03:04:05.000Z',
            tags: ['a', 'b'],
            doc: { k: [1, 2] },
          },
        ],
      },
      {
        given: 'a SQL NULL column, an empty array and a jsonb null; an offset timestamptz in UTC',
        sql: 'SELECT name, at, tags, doc FROM things WHERE id = $1',
        params: [TWO],
        want: [{ name: null, at: '2026-01-02T01:04:05.250Z', tags: [], doc: null }],
      },
      {
        given: 'a text[] parameter (a JavaScript array)',
        sql: 'SELECT n FROM things WHERE id::text = ANY($1) ORDER BY n',
        params: [[TWO, ONE]],
        want: [{ n: 2 }, { n: 9007199254740991 }],
      },
      {
        given: 'a null parameter',
        sql: 'SELECT count(*)::int AS c FROM things WHERE name IS NOT DISTINCT FROM $1',
        params: [null],
        want: [{ c: 1 }],
      },
      {
        given: 'a number and a boolean parameter',
        sql: 'SELECT $1::int + 1 AS sum, NOT $2::boolean AS flipped',
        params: [41, false],
        want: [{ sum: 42, flipped: true }],
      },
      { given: 'no rows', sql: 'SELECT id FROM things WHERE n > $1', params: [1e16], want: [] },
    ];
    test.each(cases)('given $given', async ({ sql, params, want }) => {
      expect(await db.query(sql, params)).toEqual(want);
      // The second run is the prepared statement's, not its first parse.
      expect(await db.query(sql, params)).toEqual(want);
    });

    test('each text is prepared once, however often it runs', async () => {
      const sql = 'SELECT name FROM things WHERE id = $1 AND n > $2';
      const rows = await store.session(db, async (q) => {
        for (let i = 0; i < 5; i++) await q.query(sql, [ONE, i]);
        return q.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1', [
          sql,
        ]);
      });
      expect(rows).toEqual([{ n: 1 }]);
    });

    test('an error in a value is the same SQLSTATE, and the next query is answered', async () => {
      const sql = 'SELECT name FROM things WHERE id = $1';
      await db.query(sql, [ONE]);
      await expect(db.query(sql, ['not-a-uuid'])).rejects.toMatchObject({ code: '22P02' });
      await expect(db.query('SELECT nme FROM things', [])).rejects.toMatchObject({ code: '42703' });
      expect(await db.query(sql, [ONE])).toEqual([{ name: 'one' }]);
    });

    test('a write through a prepared statement is kept, and its constraint error carries its name', async () => {
      const sql = 'INSERT INTO things (id, name) VALUES ($1, $2)';
      await db.query(sql, ['7e1e0000-0000-4000-8000-000000000003', 'three']);
      await expect(db.query(sql, [ONE, 'again'])).rejects.toMatchObject({ code: '23505', constraint: 'things_pkey' });
      expect(await db.query('SELECT name FROM things WHERE id = $1', ['7e1e0000-0000-4000-8000-000000000003'])).toEqual(
        [{ name: 'three' }],
      );
    });
  });

  describe('a prepared query and the rest of the store', () => {
    // PGlite has one session: the read waits for the commit. PostgreSQL answers it from its snapshot.
    test("a read while another caller holds a transaction never sees that transaction's rows before it commits", async () => {
      let inside!: () => void;
      let release!: () => void;
      const entered = new Promise<void>((r) => {
        inside = r;
      });
      const held = new Promise<void>((r) => {
        release = r;
      });
      const tx = db.transaction(async (t) => {
        await t.query("INSERT INTO things (id, name) VALUES ('7e1e0000-0000-4000-8000-000000000009', 'in tx')");
        inside();
        await held;
      });
      await entered;
      const read = db.query<{ c: number }>('SELECT count(*)::int AS c FROM things WHERE name = $1', ['in tx']);
      let answered = false;
      void read.then(() => {
        answered = true;
      });
      if (_name === 'PGlite') {
        await new Promise((r) => setImmediate(r));
        expect(answered).toBe(false);
        release();
        await tx;
        expect(await read).toEqual([{ c: 1 }]);
      } else {
        expect(await read).toEqual([{ c: 0 }]);
        release();
        await tx;
      }
    });

    test('a table that changes shape under a prepared statement is parsed afresh', async () => {
      await db.exec('CREATE TABLE shifting (a int)');
      await db.exec('INSERT INTO shifting VALUES (1)');
      const sql = 'SELECT * FROM shifting WHERE a = $1';
      expect(await db.query(sql, [1])).toEqual([{ a: 1 }]);
      await db.exec("ALTER TABLE shifting ADD COLUMN b text DEFAULT 'x'");
      expect(await db.query(sql, [1])).toEqual([{ a: 1, b: 'x' }]);
      expect(await db.query(sql, [1])).toEqual([{ a: 1, b: 'x' }]);
    });

    test('a closed store answers StoreUnavailable, as before', async () => {
      const other = await store.open();
      await other.query('SELECT $1::int AS x', [1]);
      await other.close();
      await expect(other.query('SELECT $1::int AS x', [1])).rejects.toBeInstanceOf(StoreUnavailable);
    });
  });
});

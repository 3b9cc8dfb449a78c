/**
 * Round trips to PostgreSQL counted at the driver: every `query` of a pg client is one (node-pg sends parse, bind and
 * execute of a statement together).
 */
import pg from 'pg';

/** The round trips of every pg client while `work` runs (and a moment after, for writes after the answer). */
export async function roundTrips<T>(work: () => Promise<T>): Promise<{ result: T; trips: string[] }> {
  const trips: string[] = [];
  const original = pg.Client.prototype.query;
  const spy = jest.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string; name?: string };
    trips.push(typeof first === 'string' ? first.slice(0, 60) : (first.name ?? first.text?.slice(0, 60) ?? '?'));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as never);
  try {
    const result = await work();
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { result, trips };
  } finally {
    spy.mockRestore();
  }
}

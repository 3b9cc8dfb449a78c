/**
 * Group commit for loans and events sent one per request. A bank's system posting them in parallel would otherwise
 * have each pay for its own statements, triggers and commit (a disk flush). Here a single write goes to the database
 * at once while fewer than `inFlight` writes of its kind are running; past that it waits, and when a write ends, the
 * writes waiting for the same principal go together in one statement: loans by `createLoansInOneStatement`
 * (`loan_create_group`), events by `recordEventsInOneStatement` (`loan_event_record_group`), never two events of one
 * loan in a group. Each keeps its own Idempotency-Key, audit row and answer, and is checked by the database as if it
 * came alone. Under no load nothing waits and nothing changes; under load the statements and commits are shared.
 *
 * When the group's statement refuses any of them (a contract number used before, a key replayed, a token revoked), it
 * writes nothing and each goes on its own (`createLoanInOneStatement`, `recordEventInOneStatement`), so that a refusal
 * reaches only its own request, worded as always. A fault (the connection, a missing function) fails every request of
 * the group, as it would have failed each alone.
 */
import type { OneStatementOutcome } from '../db/one-statement';
import type { Queryable } from '../db/pool';
import type { Writer } from './loans';
import {
  createLoanInOneStatement,
  createLoansInOneStatement,
  recordEventInOneStatement,
  recordEventsInOneStatement,
  type GroupedEvent,
  type GroupedLoan,
  type NamedLoan,
  type RecordedEvent,
} from './one-statement';

/** Single writes of one kind running at once, beyond which writes wait to go in a group. */
export const GROUP_IN_FLIGHT = 2;
/** The most writes in one group (its statement's arrays stay small; a batch is what the `:batch` endpoints are for). */
export const GROUP_MAX_ITEMS = 32;

export interface GroupStatistics {
  /** Statements run for one write each. */
  singles: number;
  /** Statements run for a group, and the writes they held. */
  groups: number;
  grouped: number;
  /** Groups refused, whose writes then went one by one. */
  refusedGroups: number;
}

interface Waiting<I, R> {
  item: I;
  resolve: (outcome: OneStatementOutcome<R> | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes of one kind (`alone` for one, `together` for a group), grouped per principal. `apart(item)` names what two
 * writes of one group may not share (an event's loan): a write whose name is taken waits for the next group.
 */
export class WriteGroups<I, R> {
  private running = 0;
  /** Writes waiting, per principal (a group is one writer's), in the order they came; principals in the order they came. */
  private readonly waiting = new Map<string, { writer: Writer; items: Array<Waiting<I, R>> }>();
  readonly statistics: GroupStatistics = { singles: 0, groups: 0, grouped: 0, refusedGroups: 0 };

  constructor(
    private readonly kind: {
      alone: (writer: Writer, item: I) => Promise<OneStatementOutcome<R> | undefined>;
      together: (writer: Writer, items: readonly I[]) => Promise<Array<OneStatementOutcome<R>> | undefined>;
      apart?: (item: I) => string;
    },
    private readonly inFlight = GROUP_IN_FLIGHT,
    private readonly maxItems = GROUP_MAX_ITEMS,
  ) {}

  /** What the write's one-statement function answers for it, written alone or in a group. */
  write(writer: Writer, item: I): Promise<OneStatementOutcome<R> | undefined> {
    return new Promise((resolve, reject) => {
      const entry: Waiting<I, R> = { item, resolve, reject };
      const queue = this.waiting.get(writer.principalId);
      if (queue) queue.items.push(entry);
      else this.waiting.set(writer.principalId, { writer, items: [entry] });
      this.next();
    });
  }

  /** Starts the writes waiting longest (one principal's, up to `maxItems`) while a statement is free. */
  private next(): void {
    while (this.running < this.inFlight && this.waiting.size > 0) {
      const [principalId, queue] = this.waiting.entries().next().value!;
      const taken = this.take(queue.items);
      if (queue.items.length === 0) this.waiting.delete(principalId);
      this.running += 1;
      void this.settle(queue.writer, taken).finally(() => {
        this.running -= 1;
        this.next();
      });
    }
  }

  /** The first writes of a queue that may go together, taken out of it (the others keep their places). */
  private take(items: Array<Waiting<I, R>>): Array<Waiting<I, R>> {
    const apart = this.kind.apart;
    if (!apart) return items.splice(0, this.maxItems);
    const names = new Set<string>();
    const taken: Array<Waiting<I, R>> = [];
    const left: Array<Waiting<I, R>> = [];
    for (const waiting of items) {
      const name = apart(waiting.item);
      if (taken.length < this.maxItems && !names.has(name)) {
        names.add(name);
        taken.push(waiting);
      } else {
        left.push(waiting);
      }
    }
    items.splice(0, items.length, ...left);
    return taken;
  }

  /** Writes those taken, together when more than one, and answers each request; never rejects. */
  private async settle(writer: Writer, taken: ReadonlyArray<Waiting<I, R>>): Promise<void> {
    if (taken.length > 1) {
      let outcomes: Array<OneStatementOutcome<R>> | undefined;
      try {
        outcomes = await this.kind.together(writer, taken.map((waiting) => waiting.item));
      } catch (error) {
        for (const waiting of taken) waiting.reject(error);
        return;
      }
      if (outcomes) {
        this.statistics.groups += 1;
        this.statistics.grouped += taken.length;
        taken.forEach((waiting, index) => waiting.resolve(outcomes[index]));
        return;
      }
      // Refused as a group: each on its own, one after another (this statement's turn is still held).
      this.statistics.refusedGroups += 1;
    }
    for (const waiting of taken) {
      this.statistics.singles += 1;
      try {
        waiting.resolve(await this.kind.alone(writer, waiting.item));
      } catch (error) {
        waiting.reject(error);
      }
    }
  }
}

/** Single loans: `loan_create_one` alone, `loan_create_group` together. */
export class LoanWriteGroups extends WriteGroups<GroupedLoan, NamedLoan> {
  constructor(db: Queryable, inFlight = GROUP_IN_FLIGHT, maxItems = GROUP_MAX_ITEMS) {
    super(
      {
        alone: (writer, loan) => createLoanInOneStatement(db, writer, loan.input, loan.options),
        together: (writer, loans) => createLoansInOneStatement(db, writer, loans),
      },
      inFlight,
      maxItems,
    );
  }
}

/** Single events: `loan_event_record_one` alone, `loan_event_record_group` together, never two of one loan. */
export class EventWriteGroups extends WriteGroups<GroupedEvent, RecordedEvent> {
  constructor(db: Queryable, inFlight = GROUP_IN_FLIGHT, maxItems = GROUP_MAX_ITEMS) {
    super(
      {
        alone: (writer, event) => recordEventInOneStatement(db, writer, event.input, event.options),
        together: (writer, events) => recordEventsInOneStatement(db, writer, events),
        apart: (event) => event.input.loanId.toLowerCase(),
      },
      inFlight,
      maxItems,
    );
  }
}

const groupsByPool = new WeakMap<Queryable, { loans: LoanWriteGroups; events: EventWriteGroups }>();

/** The groups of a pool (one per pool: writes wait only for statements on the same database). */
function groupsOf(db: Queryable): { loans: LoanWriteGroups; events: EventWriteGroups } {
  let groups = groupsByPool.get(db);
  if (!groups) {
    groups = { loans: new LoanWriteGroups(db), events: new EventWriteGroups(db) };
    groupsByPool.set(db, groups);
  }
  return groups;
}

export const loanWriteGroups = (db: Queryable): LoanWriteGroups => groupsOf(db).loans;
export const eventWriteGroups = (db: Queryable): EventWriteGroups => groupsOf(db).events;

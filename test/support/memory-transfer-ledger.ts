import type { KeyEntries, TransferLedger } from '../../lambdas/adapters/transfer-ledger.ts';
import type { TransferResult } from '../../lambdas/core/transfers/transfer-events.ts';
import type { Arrival, Verdict } from '../../lambdas/core/transfers/transfer-verdict.ts';

/** TransferLedger in memory, with DynamoTransferLedger's semantics (first write wins, conditional verdict). */
export class MemoryTransferLedger implements TransferLedger {
  readonly arrivals = new Map<string, Arrival>();
  readonly results = new Map<string, TransferResult>();
  readonly links = new Map<string, { fromKey: string; toKey: string }>();

  private id = (bucket: string, key: string, uploadId: string): string => `${bucket}\n${key}\n${uploadId}`;

  async addArrival(arrival: Arrival): Promise<Arrival> {
    const id = this.id(arrival.bucket, arrival.key, arrival.uploadId);
    if (!this.arrivals.has(id)) this.arrivals.set(id, structuredClone(arrival));
    return structuredClone(this.arrivals.get(id) as Arrival);
  }

  async addResult(result: TransferResult): Promise<void> {
    if (!this.results.has(result.eventId)) this.results.set(result.eventId, structuredClone(result));
    if (result.kind === 'rename') this.links.set(result.eventId, { fromKey: result.fromKey, toKey: result.key });
  }

  async load(bucket: string, key: string): Promise<KeyEntries> {
    return {
      arrivals: [...this.arrivals.values()].filter((a) => a.bucket === bucket && a.key === key).map((a) => structuredClone(a)),
      results: [...this.results.values()].filter((r) => r.bucket === bucket && r.key === key).map((r) => structuredClone(r)),
      renamedTo: [...this.links.values()].filter((l) => l.fromKey === key).map((l) => l.toKey),
    };
  }

  async arrival(bucket: string, key: string, uploadId: string): Promise<Arrival | undefined> {
    const found = this.arrivals.get(this.id(bucket, key, uploadId));
    return found && structuredClone(found);
  }

  async decide(arrival: Arrival, verdict: Verdict): Promise<Arrival> {
    const id = this.id(arrival.bucket, arrival.key, arrival.uploadId);
    const current = this.arrivals.get(id);
    if (!current) throw Object.assign(new Error('conditional check failed'), { name: 'ConditionalCheckFailedException' });
    if (!current.verdict) this.arrivals.set(id, { ...current, verdict });
    return structuredClone(this.arrivals.get(id) as Arrival);
  }

  async markActed(arrival: Arrival): Promise<void> {
    const id = this.id(arrival.bucket, arrival.key, arrival.uploadId);
    const current = this.arrivals.get(id);
    if (current) this.arrivals.set(id, { ...current, acted: true });
  }
}

/** Marks objects the system wrote, so the ingest path never mistakes them for uploads. */
export const SYSTEM_WRITER_METADATA = { 'bx-writer': 'system' } as const;

import type { ProcessorRegistry } from './upload-processor.ts';

/**
 * The processors of the flows that exist. An upload folder without one gets a clear rejection
 * from the ingest path ("not available yet") instead of being dropped.
 */
export const PROCESSORS: ProcessorRegistry = {};

/**
 * The reading half of the eligibility engine: bytes in, validated rows out (SPEC §4, §6.1).
 */
export { readEmployeeBatches, readEmployeeFile, type ReadEvent, type ReadOptions } from './read-employee-file.ts';
export { rowFingerprint } from './fingerprint.ts';

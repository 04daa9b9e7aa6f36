import { failureAttributes } from '../../core/diagnostics/error-description.ts';
import { parseS3Notification } from '../../core/events/s3-event.ts';
import { loadEventFile, type EventLoaderDeps } from './event-loader.ts';

/** One message of the platform-events queue: S3 ObjectCreated events for internal/platform-events/ → stored events. */
export async function handleEventFileMessage(deps: EventLoaderDeps, body: string, attempt: number): Promise<void> {
  for (const object of parseS3Notification(body)) {
    try {
      await loadEventFile(deps, object.key, object.versionId);
    } catch (error) {
      // The file's key and version are its id: platform files are ours, their names hold no personal data.
      const ids = { key: object.key, versionId: object.versionId, attempt };
      deps.log.warn('platform events: file failed', failureAttributes('platformEvents.load', error, ids));
      throw error;
    }
  }
}

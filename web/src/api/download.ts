/**
 * Documents the API sends as attachments (XLSX, PDF, CSV): fetched through the typed client as a Blob and saved
 * under the name the API gives in `Content-Disposition` (`filename*=UTF-8''…`, RFC 5987: Chinese names survive).
 */
import type { Problem } from './client';

/** `attachment; filename="a.xlsx"; filename*=UTF-8''%E8%A2%81…` → the UTF-8 name, else the plain one. */
export function attachmentName(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1]);
    } catch {
      // A malformed escape: fall back to the plain name.
    }
  }
  return /filename="([^"]+)"/i.exec(disposition)?.[1] ?? fallback;
}

/** Saves a Blob as a file through a temporary link (what the browser's download manager records). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled, not before.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Runs an openapi-fetch call made with `parseAs: 'blob'` and saves its answer; the problem when the API refused. */
export async function download(
  call: () => Promise<{ data?: Blob; error?: unknown; response: Response }>,
  fallbackName: string,
): Promise<Problem | undefined> {
  const { data, error, response } = await call();
  if (error || !data) return error as Problem;
  saveBlob(data, attachmentName(response.headers.get('Content-Disposition'), fallbackName));
  return undefined;
}

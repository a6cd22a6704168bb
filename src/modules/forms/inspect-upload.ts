import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { SubmissionAttachment } from './file-ticket.js';
import type { FileAnswer } from './form-logic.js';

/** What a file really is, read from its bytes; the name and declared type a client sends are never believed. */
export interface DetectedType {
  mime: string;
  /** The usual extension of that type, without the dot ("png", "txt"). */
  ext: string;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The type of a file by its content (magic bytes, file-type). Text has no magic bytes: it counts as text/plain only
 * when it is valid UTF-8 without NUL characters; anything else unrecognised is application/octet-stream.
 */
export async function detectFileType(data: Uint8Array): Promise<DetectedType> {
  const found = await fileTypeFromBuffer(data);
  if (found) return { mime: found.mime, ext: found.ext };
  if (data.length > 0 && !data.includes(0)) {
    try {
      UTF8.decode(data);
      return { mime: 'text/plain', ext: 'txt' };
    } catch {
      // not text
    }
  }
  return { mime: 'application/octet-stream', ext: 'bin' };
}

const EXTENSION_ALIASES: Record<string, string[]> = {
  jpg: ['jpg', 'jpeg', 'jpe'],
  tif: ['tif', 'tiff'],
  txt: ['txt', 'text', 'log', 'csv', 'md'],
};

/** Whether a file name's extension fits the detected content (an HTML page named .png does not). */
export function extensionFits(filename: string, detected: DetectedType): boolean {
  const dot = filename.lastIndexOf('.');
  if (dot < 0) return true;
  const ext = filename.slice(dot + 1).toLowerCase();
  return (EXTENSION_ALIASES[detected.ext] ?? [detected.ext]).includes(ext);
}

/**
 * A file name safe to store and to put in a download header: the last path segment, without control characters,
 * at most 200 characters (keeping the extension).
 */
export function safeFilename(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  const name = clean === '' || clean === '.' || clean === '..' ? 'attachment' : clean;
  if ([...name].length <= 200) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 11 ? name.slice(dot) : '';
  return [...name.slice(0, name.length - ext.length)].slice(0, 200 - ext.length).join('') + ext;
}

/** An uploaded file read: the descriptor the validator checks and the row to store. */
export interface InspectedUpload {
  answer: FileAnswer;
  attachment: SubmissionAttachment;
  detected: DetectedType;
}

/** Reads an upload into its stored form: real type by content, a safe name, size and SHA-256. */
export async function inspectUpload(field: string, filename: string, data: Buffer): Promise<InspectedUpload> {
  const detected = await detectFileType(data);
  const name = safeFilename(filename);
  return {
    detected,
    answer: { filename: name, contentType: detected.mime, size: data.length },
    attachment: {
      field,
      filename: name,
      contentType: detected.mime,
      size: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    },
  };
}

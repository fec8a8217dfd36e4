import { z } from 'zod';
import { listQuerySchema } from '../../kernel/http/pagination.ts';

export const idParams = z.object({ id: z.uuid() });

export const listDocumentsQuerySchema = listQuerySchema;

export const documentSchema = z.object({
  id: z.uuid(),
  contactId: z.uuid().nullable(),
  companyId: z.uuid().nullable(),
  fileName: z
    .string()
    .nullable()
    .describe('Masked (`V***.pdf`) or null by the reader’s access to the data category `documents`'),
  contentType: z.string().describe('Sniffed from the bytes at upload; the declared type is never trusted'),
  size: z.number().int().describe('Bytes'),
  sha256: z.string().describe('SHA-256 of the bytes, hex'),
  uploadedBy: z.object({ userId: z.uuid(), email: z.string() }).nullable(),
  createdAt: z.iso.datetime(),
});

export const documentPageSchema = z.object({
  items: z.array(documentSchema),
  nextCursor: z.string().nullable(),
});

/** A document as the service hands it out, before the reader's field access is applied. */
export type Document = {
  id: string;
  contactId: string | null;
  companyId: string | null;
  fileName: string | null;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: { userId: string; email: string } | null;
  createdAt: string;
};

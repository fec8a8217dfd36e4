// The exports module's public face: the export dialog of the contact list.
export type { ExportSource } from './api/exports.ts';
export { ExportModal } from './components/ExportModal.tsx';

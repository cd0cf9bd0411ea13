// "My visits" come from `GET /api/me/visits` (contracts/api.ts MyVisits: the site days I was
// let in, worked out by the services), which is not audited; the full download of my data is
// the export (`GET /api/me/export`), which is. What is left here is that download's file name.

/** "smartspace-my-data-2025-06-02.json": the file name of a download made on `day`. */
export function exportFileName(day: string): string {
  return `smartspace-my-data-${day}.json`;
}

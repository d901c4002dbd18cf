// Which HTTP answers say "not now" rather than "not this": throttling and server-side failures are worth another
// try; any other 4xx would fail again the same way. Shared by bulk indexing and paging.
export const retryableStatus = (s: number): boolean => s === 429 || s >= 500;

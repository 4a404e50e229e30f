// Loaded into a bench:fanout server instance only (never by `npm start`): when the bench
// asks over IPC, it collects garbage and answers with the resident memory, so "memory
// per phone" compares two settled heaps instead of whatever garbage the joins left.
const collect = (globalThis as { gc?: () => void }).gc;

process.on('message', (message: { type?: string }) => {
  if (message?.type !== 'memory') return;
  // Twice: the first pass can leave objects that only the second frees.
  collect?.();
  collect?.();
  setTimeout(() => process.send?.({ type: 'memory', rssKB: Math.round(process.memoryUsage().rss / 1024), collected: typeof collect === 'function' }), 200);
});

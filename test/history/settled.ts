/** Whether a promise has settled, after the microtasks and I/O callbacks queued now (undefined: nothing to wait for). */
export async function settled(promise: Promise<void> | undefined): Promise<boolean> {
  if (!promise) return true;
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

/** A tiny listener set; a throwing listener cannot stop the others. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(value: T): void {
    for (const listener of [...this.set]) {
      try {
        listener(value);
      } catch {
        // A view's bug must not break the link; the error boundary shows render errors.
      }
    }
  }

  get size(): number {
    return this.set.size;
  }
}

/** A chat platform that only counts what it is sent: the lightest adapter, for load figures. */
import type { ChatAdapter, CommandHandler } from '../src/chat/port.ts';

export class CountingAdapter implements ChatAdapter {
  readonly platform: string;
  statusPosts = 0;
  statusEdits = 0;
  deliveries = 0;

  constructor(platform: string) {
    this.platform = platform;
  }

  async start(_onCommand: CommandHandler): Promise<void> {}
  async stop(): Promise<void> {}

  connected(): boolean {
    return true;
  }

  async showStatus(sub: { statusMessage?: string; target: string }): Promise<string> {
    if (sub.statusMessage === undefined) this.statusPosts += 1;
    else this.statusEdits += 1;
    return sub.statusMessage ?? `${sub.target}#status`;
  }

  async deliverVideo(): Promise<undefined> {
    this.deliveries += 1;
  }

  async deliverFailure(): Promise<undefined> {
    this.deliveries += 1;
  }
}

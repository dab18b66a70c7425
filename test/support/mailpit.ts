import { eventually } from './http-client';

/** A message as Mailpit's HTTP API lists it (GET /api/v1/search). */
export interface MailpitMessage {
  ID: string;
  MessageID: string;
  Subject: string;
  To: { Address: string }[];
}

/** Reads what a Mailpit received, through its HTTP API. */
export class Mailpit {
  constructor(private readonly apiUrl: string) {}

  /** Messages matching a Mailpit search (e.g. `subject:"..."`, `to:...`). */
  async search(query: string): Promise<MailpitMessage[]> {
    const res = await fetch(`${this.apiUrl}/api/v1/search?query=${encodeURIComponent(query)}&limit=200`);
    if (!res.ok) throw new Error(`Mailpit search answered ${res.status}`);
    return ((await res.json()) as { messages: MailpitMessage[] }).messages;
  }

  /** The plain-text body of one message. */
  async text(id: string): Promise<string> {
    const res = await fetch(`${this.apiUrl}/api/v1/message/${id}`);
    return ((await res.json()) as { Text: string }).Text;
  }

  /** Waits until the messages whose subject contains `subject` reach `count` recipients at least. */
  received(subject: string, count: number, what = `${count} message(s) "${subject}"`): Promise<MailpitMessage[]> {
    return eventually(
      async () => {
        const found = (await this.search(`subject:"${subject}"`)).filter((m) => m.Subject.includes(subject));
        return found.length >= count ? found : undefined;
      },
      { what, timeoutMs: 30_000, intervalMs: 250 },
    );
  }
}

/** Each message's recipients, sorted. */
export function recipients(messages: MailpitMessage[]): string[] {
  return messages.flatMap((m) => m.To.map((t) => t.Address)).sort();
}

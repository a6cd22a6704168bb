import { sql } from 'kysely';
import type { DB } from '../../db/client.js';

/**
 * Counts article page views in memory and writes them in one statement per flush, so a page view costs no
 * database write on the request path. At most `flushEveryMs` of counts are lost if the process dies.
 */
export class ViewCounter {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: DB,
    private readonly flushEveryMs = 5_000,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      this.flush().catch(() => undefined);
    }, this.flushEveryMs);
    this.timer.unref();
  }

  add(articleId: number, locale: string): void {
    const key = `${articleId}|${locale}`;
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
  }

  /** Writes what has been counted; returns the number of views written. */
  async flush(): Promise<number> {
    if (this.pending.size === 0) return 0;
    const batch = this.pending;
    this.pending = new Map();
    const rows = [...batch].map(([key, views]) => {
      const [articleId, locale] = key.split('|') as [string, string];
      return { article_id: Number(articleId), locale, views };
    });
    await this.db
      .insertInto('article_daily_views')
      .values(rows.map((r) => ({ ...r, day: sql<string>`current_date` as unknown as string })))
      .onConflict((oc) =>
        oc
          .columns(['article_id', 'locale', 'day'])
          .doUpdateSet({ views: sql`article_daily_views.views + excluded.views` }),
      )
      .execute();
    return rows.reduce((sum, r) => sum + r.views, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}

/** What the server's HTML shell hands the app (see src/modules/admin-app/admin-shell.ts). */
export interface Boot {
  /** URL of each UI language's strings (all namespaces of that language in one hashed file). */
  messages: Record<string, string>;
  /** Nonce the page's CSP allows on <style>: Mantine puts it on the few style tags it renders at run time. */
  styleNonce: string;
}

/** Reads the JSON data block of the shell once. */
export function readBoot(): Boot {
  const text = document.getElementById('admin-boot')?.textContent ?? '{}';
  const parsed = JSON.parse(text) as Partial<Boot>;
  return { messages: parsed.messages ?? {}, styleNonce: parsed.styleNonce ?? '' };
}

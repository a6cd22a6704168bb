// Client islands for the public help center. Every page works without this script; it only enhances.
import { startTracking } from './track.js';
import { startTypeahead } from './typeahead.js';
import { startVote } from './vote.js';

function enhanceDisclosures(): void {
  // Close an open menu (language switcher) on Escape or a click elsewhere, as a native menu would.
  const menus = Array.from(document.querySelectorAll<HTMLDetailsElement>('details[data-menu]'));
  if (menus.length === 0) return;
  document.addEventListener('click', (event) => {
    for (const menu of menus) if (menu.open && !menu.contains(event.target as Node)) menu.open = false;
  });
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    for (const menu of menus) {
      if (!menu.open) continue;
      menu.open = false;
      menu.querySelector('summary')?.focus();
    }
  });
}

enhanceDisclosures();
startTypeahead();
startTracking();
startVote();
// The contact form's island (its condition engine and messages) loads only on pages that have a form.
if (document.querySelector('form.contact-form, [data-copy-reference]')) {
  void import('./contact-form.js').then((island) => island.startContactForm());
}

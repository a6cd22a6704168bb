import { IconInbox } from '@tabler/icons-react';
import type { ScreenDef } from '../../app/registry.js';
import { DeliveriesScreen } from './DeliveriesScreen.js';
import { TicketScreen } from './TicketScreen.js';
import { TicketsScreen } from './TicketsScreen.js';

/** The agent's screens. /tickets/deliveries is listed before /tickets/:id so it is not read as a ticket id. */
export const ticketsScreens: ScreenDef[] = [
  {
    path: '/tickets',
    permission: 'tickets.read',
    component: TicketsScreen,
    nav: { group: 'support', key: 'tickets', icon: IconInbox, order: 10 },
  },
  { path: '/tickets/deliveries', permission: 'tickets.read', component: DeliveriesScreen },
  { path: '/tickets/:id', permission: 'tickets.read', component: TicketScreen },
];

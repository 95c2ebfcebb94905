import './components/sweet-shop.ts';
import { NotificationSocket } from './state/notification-socket.ts';
import { SavedSession } from './state/saved-session.ts';
import { ShopApi } from './state/shop-api.ts';
import { ShopStore } from './state/shop-store.ts';

// The notifier serves this page, the shop API and the socket from one origin.
const socketUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;

const store = new ShopStore({
  api: new ShopApi(location.origin),
  session: new SavedSession(localStorage),
  connect: (options) => new NotificationSocket({ url: socketUrl, ...options }),
});

const shop = document.querySelector('sweet-shop');
if (shop) shop.store = store;
window.addEventListener('online', () => store.reconnect());
void store.start();

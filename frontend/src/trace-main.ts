import './components/trace-page.ts';
import { SavedSession } from './state/saved-session.ts';
import { ShopApi } from './state/shop-api.ts';
import { TraceLoader } from './state/trace-loader.ts';

// The order comes from the link (`trace.html?order=<id>`); the shop answers only its own customer.
const orderId = new URLSearchParams(location.search).get('order') ?? '';
const loader = new TraceLoader({
  api: new ShopApi(location.origin),
  customerId: new SavedSession(localStorage).customerId(),
  orderId,
});

const page = document.querySelector('trace-page');
if (page) {
  loader.subscribe(() => (page.state = loader.state));
  page.state = loader.state;
  page.addEventListener('refresh-trace', () => void loader.load());
}
void loader.load();

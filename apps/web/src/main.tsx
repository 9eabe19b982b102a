import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiFailure } from './api';
import { App } from './app';
import { takeTokenFromFragment } from './auth';
import './styles.css';

takeTokenFromFragment();
// A refusal (4xx) is an answer, not a hiccup: shown at once, never retried.
const retry = (count: number, e: Error) => !(e instanceof ApiFailure && e.status >= 400 && e.status < 500) && count < 2;
const queries = new QueryClient({ defaultOptions: { queries: { retry, refetchOnWindowFocus: false } } });
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);

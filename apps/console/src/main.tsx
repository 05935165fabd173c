import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiProblem } from './api.js';
import { App } from './App.js';
import { loadCatalogue } from './catalogue.js';
import { setupI18n } from './i18n/index.js';
import { SessionProvider } from './session.js';
import './styles.css';

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal is an answer, not a hiccup: only a failure to reach the API is tried again.
      retry: (failures, error) => !(error instanceof ApiProblem) && failures < 2,
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
  },
});

await Promise.all([setupI18n(), loadCatalogue()]);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, prepare } from './app/App';
import './ui/styles.css';

void prepare().then((kept) =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App kept={kept} />
    </StrictMode>,
  ),
);

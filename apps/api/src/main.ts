import { runApp } from '@lakemirror/app-runtime';
import { apiApp } from './api.app';

void runApp(apiApp);

import { runApp } from '@lakemirror/app-runtime';
import { pipelineApp } from '@lakemirror/pipeline';

void runApp(pipelineApp('verifier'));

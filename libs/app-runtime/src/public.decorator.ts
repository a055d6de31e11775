import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'lakemirror:public';

/** Marks a route that needs no credentials (health, metrics, API docs) for apps that authenticate requests. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

import type { Schema } from '@shared/validation';
import { MAX_DIMENSION } from './feed.images';

export const newPostSchema: Schema = {
  caption: { type: 'string', required: false, max: 2200 },
  image: {
    type: 'object',
    fields: {
      url: { type: 'string', min: 8, max: 2000 },
      width: { type: 'int', min: 1, max: MAX_DIMENSION },
      height: { type: 'int', min: 1, max: MAX_DIMENSION },
      mime: { type: 'string' },
    },
  },
};

export const editPostSchema: Schema = {
  caption: { type: 'string', max: 2200 },
};

export const commentSchema: Schema = {
  body: { type: 'string', min: 1, max: 1000 },
};

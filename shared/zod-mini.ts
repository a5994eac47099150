// zod/mini with English messages, for the schemas every CLI start builds (target-schema.ts says why
// mini). Classic zod registers its English locale when its first schema is built; mini registers
// none, so without this line a type error would read "Invalid input" and never say what was wrong.
import * as z from 'zod/mini'

z.config(z.locales.en())

export * from 'zod/mini'

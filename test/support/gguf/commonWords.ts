/**
 * Words that get whole tokens in the test vocabulary (in lower case and
 * capitalized, each with and without a leading space).
 *
 * Without them a prompt falls apart into byte tokens: Llama 3.1's system
 * preamble alone becomes ~170 tokens, and a small context then fails with
 * "Failed to compress chat history". The list covers that preamble,
 * node-llama-cpp's default system prompt, AstroSage's system prompts, and
 * everyday English and astronomy.
 */
export const COMMON_WORDS: readonly string[] = [
    // Llama 3.1 preamble and roles
    "system", "user", "assistant", "ipython", "cutting", "knowledge", "date", "today", "environment", "tools",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    // Everyday English
    "the", "a", "an", "and", "or", "but", "not", "no", "yes", "of", "to", "in", "on", "at", "by", "for",
    "with", "from", "as", "into", "about", "than", "then", "so", "if", "because", "while", "when", "where",
    "what", "which", "who", "why", "how", "that", "this", "these", "those", "there", "here", "it", "its",
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "done",
    "can", "could", "will", "would", "should", "must", "might", "shall", "i", "you", "your", "we", "our",
    "they", "their", "he", "she", "his", "her", "them", "me", "my", "us", "all", "any", "some", "each",
    "every", "more", "most", "less", "many", "much", "few", "other", "only", "also", "very", "just", "even",
    "such", "same", "one", "two", "three", "four", "five", "ten", "hundred", "thousand", "million", "billion",
    "first", "second", "new", "old", "large", "small", "high", "low", "long", "short", "good", "well",
    "make", "made", "use", "used", "using", "give", "given", "get", "know", "say", "said", "see", "seen",
    "find", "found", "show", "shows", "take", "think", "thinking", "explain", "answer", "answers",
    "answering", "question", "questions", "help", "helpful", "helpfully", "respectful", "honest",
    "always", "never", "possible", "sense", "factually", "coherent", "instead", "something", "incorrectly",
    "don", "t", "s", "share", "false", "information", "true", "role", "designed", "queries", "chatbot",
    "assume", "accurately", "concisely", "units", "state", "assumptions", "uncertainties", "sure",
    "detailed", "research", "professional", "astronomers", "astronomer", "please", "thanks", "thank",
    "hello", "hi", "ok", "summary", "summarize", "review", "code", "paper", "section", "figure", "table",
    "equation", "result", "results", "method", "methods", "data", "model", "models", "value", "values",
    "error", "errors", "about", "approximately", "roughly", "between", "after", "before", "over", "under",
    "up", "down", "out", "per", "each", "both", "like", "because", "therefore", "however", "example",
    "time", "year", "years", "day", "days", "number", "part", "way", "point", "case", "word", "words",
    "text", "line", "list", "note", "step", "steps", "let", "let's", "now", "next", "last", "end",
    // Astronomy
    "astronomy", "astrophysics", "cosmology", "astrosage", "star", "stars", "stellar", "sun", "solar",
    "mass", "masses", "radius", "luminosity", "temperature", "density", "pressure", "energy", "light",
    "galaxy", "galaxies", "galactic", "milky", "cluster", "clusters", "planet", "planets", "planetary",
    "exoplanet", "exoplanets", "orbit", "orbital", "period", "moon", "earth", "jupiter", "saturn", "mars",
    "venus", "mercury", "neptune", "uranus", "pluto", "comet", "asteroid", "interstellar", "black", "hole",
    "holes", "neutron", "white", "dwarf", "dwarfs", "giant", "red", "blue", "supernova", "supernovae",
    "nova", "pulsar", "quasar", "nebula", "dust", "gas", "cloud", "clouds", "disk", "disc", "accretion",
    "jet", "jets", "magnetic", "field", "fields", "gravity", "gravitational", "wave", "waves", "redshift",
    "hubble", "constant", "dark", "matter", "expansion", "universe", "big", "bang", "cosmic", "microwave",
    "background", "radiation", "spectrum", "spectra", "spectral", "spectroscopy", "photometry",
    "magnitude", "magnitudes", "absolute", "apparent", "distance", "distances", "parallax", "parsec",
    "parsecs", "kpc", "mpc", "light-year", "au", "km", "kg", "s", "erg", "kelvin", "flux", "emission",
    "absorption", "line", "lines", "wavelength", "frequency", "infrared", "optical", "ultraviolet", "x-ray",
    "radio", "gamma", "telescope", "telescopes", "observatory", "survey", "surveys", "observation",
    "observations", "observed", "sky", "main", "sequence", "hydrogen", "helium", "metallicity", "fusion",
    "core", "envelope", "convection", "rotation", "binary", "binaries", "companion", "eclipsing",
    "transit", "velocity", "velocities", "dispersion", "halo", "bulge", "spiral", "elliptical", "merger",
    "formation", "evolution", "age", "initial", "function", "chandrasekhar", "limit", "schwarzschild",
    "eddington", "virial", "kepler", "law", "laws", "theorem", "newton", "einstein", "relativity",
    "ratio", "scale", "rate", "order", "magnitude", "estimate", "measured", "measurement", "uncertainty",
    "lorem", "ipsum", "dolor", "sit", "amet"
];

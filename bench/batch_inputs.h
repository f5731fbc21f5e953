/* The input folder of tessel-batch-bench: `count` PNG photographs-to-be of
 * size x size pixels, made once and kept for the next runs. */
#ifndef TESSEL_BENCH_BATCH_INPUTS_H
#define TESSEL_BENCH_BATCH_INPUTS_H

/* Makes folder/in/imgNNNN.png (what is missing of it, on `threads`
 * threads) and returns the paths (free with batch_paths_free), or NULL
 * after a message. */
char **batch_inputs_make(const char *folder, int count, int size, int channels, int threads);

/* folder/sub/imgNNNN.png for each of count images; the folder is created. */
char **batch_paths(const char *folder, const char *sub, int count);
void batch_paths_free(char **paths, int count);

/* Reads every file once, so both timed runs find them in the page cache. */
void batch_inputs_preload(char **paths, int count);

#endif

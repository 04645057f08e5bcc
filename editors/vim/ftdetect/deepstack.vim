" DeepStack .ds files.
autocmd BufRead,BufNewFile *.ds set filetype=deepstack

SRAM_d96_w24.v
SparsePe_19c10403.v

enum SSTableModule {}

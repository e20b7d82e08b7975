/// AWS wire protocols (work in progress).
enum AWSModule {}
